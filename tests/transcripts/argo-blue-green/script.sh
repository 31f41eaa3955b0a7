kubectl create namespace argo-rollouts
kubectl apply -n argo-rollouts -f https://github.com/argoproj/argo-rollouts/releases/latest/download/install.yaml
sleep 10
kubectl apply -f rollout-bluegreen.yaml
sleep 30
kubectl argo rollouts get rollout rollout-bluegreen
kubectl argo rollouts set image rollout-bluegreen rollouts-demo=argoproj/rollouts-demo:green
sleep 30
kubectl argo rollouts get rollout rollout-bluegreen
kubectl get svc rollout-bluegreen-active rollout-bluegreen-preview -o wide
kubectl argo rollouts promote rollout-bluegreen
sleep 5
kubectl argo rollouts get rollout rollout-bluegreen
sleep 40
kubectl argo rollouts get rollout rollout-bluegreen
kubectl argo rollouts status rollout-bluegreen
